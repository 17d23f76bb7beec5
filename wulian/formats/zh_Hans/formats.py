# Chinese statistical tables group digits by thousands with commas (1,234,567), as Excel does.
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
