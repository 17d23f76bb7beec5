"""Industry chains as graphs of links (产业链图谱). models."""
