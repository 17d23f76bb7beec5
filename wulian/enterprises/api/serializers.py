from rest_framework import serializers

from ..models import Enterprise


class EnterpriseSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    listing_board_display = serializers.CharField(
        source="get_listing_board_display", read_only=True
    )

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "uscc",
            "name",
            "region",
            "region_name",
            "industry_code",
            "is_above_scale",
            "is_listed",
            "listing_board",
            "listing_board_display",
            "founded_on",
            "output_wan",
            "tax_wan",
            "employees",
            "is_synthetic",
            "updated_at",
        ]
        read_only_fields = fields
