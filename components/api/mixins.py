"""What every view of the API mixes in: who is looking (worked out once per
request, for usage visibility and the cache key), and reads served from the
response cache (registry/cache.py) with an ETag, answering If-None-Match with 304."""

from django.http import HttpResponse
from rest_framework.response import Response

from accounts.models import ApiToken
from components.query import Viewer
from registry import cache as response_cache

from .etags import etag_of_content, not_modified_or, with_etag


class ApiViewMixin:
    """Works out who is looking (for usage visibility) once per request."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        token = request.auth if isinstance(request.auth, ApiToken) else None
        # Kept on the Django request, which DRF's request reads through: the
        # filters, the views and the response cache key all see this one.
        request._request.viewer = Viewer.for_token(token) if token else Viewer.anonymous()

    def retrieve(self, request, *args, **kwargs):
        def produce():
            instance = self.get_object()
            return with_etag(Response(self.get_serializer(instance).data), instance)

        return self.cached(request, produce)

    def list(self, request, *args, **kwargs):
        return self.cached(
            request, lambda: super(ApiViewMixin, self).list(request, *args, **kwargs)
        )

    def cached(self, request, produce):
        """Serve a read from the response cache when it can be trusted, and answer
        a matching If-None-Match with 304 either way."""
        key = None
        if response_cache.enabled():
            key = response_cache.key(request._request, request.viewer.cache_key)
            hit = response_cache.get(key)
            if hit is not None:
                response = HttpResponse(hit["content"], content_type=hit["content_type"])
                response["ETag"] = hit["etag"]
                response[response_cache.HEADER] = "hit"
                return not_modified_or(request, response)
            # Read before rendering: a change committed meanwhile must not be
            # stored as if this rendering had seen it. produce() may narrow what
            # the response depends on (registry/cache.narrow_to_usages_of).
            response_cache.start(request)
        response = self.finalize_response(request, produce())
        response.render()
        if response.status_code == 200:
            if not response.has_header("ETag"):
                response["ETag"] = etag_of_content(response.content)
            if key is not None:
                response[response_cache.HEADER] = "miss"
                response_cache.put(
                    key,
                    {
                        "content": response.content,
                        "content_type": response["Content-Type"],
                        "etag": response["ETag"],
                    },
                    response_cache.recorded(request),
                )
        return not_modified_or(request, response)
