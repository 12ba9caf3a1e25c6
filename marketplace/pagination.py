from rest_framework.pagination import PageNumberPagination


class BoundedPageNumberPagination(PageNumberPagination):
    """?page=N&page_size=M, with the page size capped so no request can ask for everything at once."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
