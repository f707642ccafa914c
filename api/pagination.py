from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """?page=N, 50 a page by default, ?page_size= up to 200."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
