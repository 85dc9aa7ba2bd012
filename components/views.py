from django.shortcuts import get_object_or_404, render

from .models import Component
from .query import Viewer


def component_list(request):
    components = Component.objects.select_related("publisher").order_by("name")
    return render(request, "components/component_list.html", {"components": components})


def component_detail(request, slug):
    component = get_object_or_404(Component.objects.select_related("publisher"), slug=slug)
    viewer = Viewer.for_user(request.user)
    usages = (
        component.usages.visible_to(viewer)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    return render(
        request,
        "components/component_detail.html",
        {
            "component": component,
            "releases": component.releases.all(),
            "usages": usages,
            "hidden_usages": component.usages.hidden_from(viewer).count(),
        },
    )
