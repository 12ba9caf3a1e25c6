from rest_framework import generics
from rest_framework.permissions import AllowAny

from vendors.selectors import vendor_list_public

from .serializers import VendorOutputSerializer


class VendorListApi(generics.ListAPIView):
    """Approved vendors, filterable by category slug."""

    serializer_class = VendorOutputSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return vendor_list_public(category=self.request.query_params.get("category")).order_by("name", "id")


class VendorDetailApi(generics.RetrieveAPIView):
    serializer_class = VendorOutputSerializer
    permission_classes = [AllowAny]
    lookup_field = "slug"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return vendor_list_public()
