from django.db.models import Prefetch

from resources.models import Category, Resource


def resources_by_category() -> list[Category]:
    """Categories holding at least one published resource, each with `.published` filled in.

    Two queries whatever the number of resources; reading them writes nothing.
    """
    published = Resource.objects.filter(is_published=True)
    categories = Category.objects.filter(resources__is_published=True).distinct()
    categories = categories.prefetch_related(
        Prefetch("resources", queryset=published, to_attr="published")
    )
    return list(categories)


def resource_with_document(pk: int, *, include_unpublished: bool = False) -> Resource | None:
    """The resource with this PDF; unpublished ones only for staff checking their upload."""
    resources = Resource.objects.exclude(document="")
    if not include_unpublished:
        resources = resources.filter(is_published=True)
    return resources.filter(pk=pk).first()
