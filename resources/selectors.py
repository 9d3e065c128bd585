from django.db.models import Prefetch

from resources.models import Audience, Category, Resource


def for_audience(*, families: bool) -> list[str]:
    """The audiences a reader belongs to: a family member's, or an officer's."""
    return [Audience.FAMILIES, Audience.BOTH] if families else [Audience.OFFICERS, Audience.BOTH]


def resources_by_category(*, families: bool = False) -> list[Category]:
    """Categories holding at least one published resource for the reader (an officer, or a
    family member with `families`), each with `.published` filled in.

    Two queries whatever the number of resources; reading them writes nothing.
    """
    audiences = for_audience(families=families)
    published = Resource.objects.filter(is_published=True, audience__in=audiences)
    categories = Category.objects.filter(
        resources__is_published=True, resources__audience__in=audiences
    ).distinct()
    categories = categories.prefetch_related(
        Prefetch("resources", queryset=published, to_attr="published")
    )
    return list(categories)


def resource_with_document(
    pk: int, *, include_unpublished: bool = False, families: bool = False
) -> Resource | None:
    """The resource with this PDF, for its audience; unpublished ones (of any audience) only for
    staff checking their upload."""
    resources = Resource.objects.exclude(document="")
    if not include_unpublished:
        audiences = for_audience(families=families)
        resources = resources.filter(is_published=True, audience__in=audiences)
    return resources.filter(pk=pk).first()
