"""Files under review (issue 10, finding 2): a document or picture reaches the public only with a
live page that shows it, and once shown (or under review) nobody swaps or deletes it; every door
to images and documents is tried with real CSRF checks and staff signed in with their code."""

import io
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.test.utils.form_data import inline_formset, rich_text

from home import files
from home.models import ArticlePage

from .builders import login_staff, make_superuser
from .review_builders import CsrfClient, act, create_article, is_live

pytestmark = pytest.mark.django_db

ORIGINAL = b"%PDF-1.4\n% original text of the notice as reviewed\n%%EOF\n"
SWAPPED = b"%PDF-1.4\n% unreviewed replacement\n%%EOF\n"


@pytest.fixture
def client():
    return CsrfClient()


def png(colour="#1d4e89", size=(320, 200)):
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def upload_document(client, title, content=ORIGINAL, name="notice.pdf"):
    response = client.post(
        "/admin/documents/add/",
        {"title": title, "file": SimpleUploadedFile(name, content), "collection": Collection.get_first_root_node().pk},
    )
    assert response.status_code == 302, response.content[:500]
    return get_document_model().objects.get(title=title)


def upload_image(client, title, name="photo.png"):
    upload = SimpleUploadedFile(name, png(), content_type="image/png")
    response = client.post(
        "/admin/images/add/", {"title": title, "file": upload, "collection": Collection.get_first_root_node().pk}
    )
    assert response.status_code == 302, response.content[:500]
    return get_image_model().objects.get(title=title)


def submit_with_files(client, site, document, image, title="县政府关于冬季供暖的通知"):
    """The editor submits an article showing `image` as its cover and `document` as its attachment."""
    login_staff(client, site.users["editor"])
    _response, article = create_article(
        client,
        site.portal.news,
        title=title,
        cover_image=image.pk,
        attachments=inline_formset([{"document": document.pk, "title": "通知正文"}]),
    )
    return article


def publish_with_files(client, site, document, image):
    """The same article, through review."""
    article = submit_with_files(client, site, document, image)
    for reviewer in ("managing", "chief"):
        login_staff(client, site.users[reviewer])
        assert act(client, article, "approve") == 200
    assert is_live(article)
    return ArticlePage.objects.get(pk=article.pk)


def anonymous_get(url):
    return Client().get(url)


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def image_urls(html):
    return re.findall(r'<img[^>]*src="(/media/[^"]+)"', html)


def replace_document(client, document, content=SWAPPED):
    return client.post(
        f"/admin/documents/edit/{document.pk}/",
        {
            "title": document.title,
            "file": SimpleUploadedFile("notice.pdf", content),
            "collection": document.collection_id,
            "tags": "",
        },
    )


def replace_image(client, image):
    return client.post(
        f"/admin/images/{image.pk}/",
        {
            "title": image.title,
            "file": SimpleUploadedFile("other.png", png("#aa0000"), content_type="image/png"),
            "collection": image.collection_id,
            "tags": "",
        },
    )


def test_an_unused_upload_answers_404_to_the_public_and_only_its_staff_see_it(client, site):
    login_staff(client, site.users["editor"])
    document = upload_document(client, "未发布的通知")
    image = upload_image(client, "未发布的图片")
    rendition = image.get_rendition("max-165x165")  # as the admin's image listing makes one
    for url in (document.url, image.file.url, rendition.url):
        assert anonymous_get(url).status_code == 404, url
        staff = client.get(url)
        assert staff.status_code == 200 and staff["Cache-Control"] == "private, no-store", url
    # Documents are downloaded through /documents/ only (collection privacy, Content-Disposition).
    assert client.get(document.file.url).status_code == 404
    # Wagtail's dynamic image URLs are not served by this site; its admin preview is the staff's.
    assert client.get(f"/admin/images/{image.pk}/generate_url/").status_code == 404
    assert client.get(f"/admin/images/{image.pk}/preview/max-165x165/").status_code == 200
    assert anonymous_get(f"/admin/images/{image.pk}/preview/max-165x165/").status_code == 302  # to the login
    # A member of the public signed in is still the public.
    citizen = Client()
    citizen.force_login(type(site.users["editor"]).objects.create_user(username="citizen1", password="x" * 12))
    assert citizen.get(document.url).status_code == 404


def test_a_published_file_is_public_and_nobody_can_swap_or_delete_it(client, site):
    login_staff(client, site.users["editor"])
    document = upload_document(client, "供暖通知正文")
    image = upload_image(client, "供暖现场")
    article = publish_with_files(client, site, document, image)

    page = anonymous_get(article.url).content.decode()
    assert document.url in page
    [cover] = image_urls(page)
    picture = anonymous_get(cover)
    assert picture.status_code == 200 and picture["Cache-Control"].startswith("public, max-age=")
    download = anonymous_get(document.url)
    assert download.status_code == 200 and body(download) == ORIGINAL

    for who in (site.users["editor"], make_superuser()):
        login_staff(client, who)
        response = replace_document(client, document)
        assert response.status_code == 200 and str(files.SHOWN_ON_LIVE_PAGE) in response.content.decode()
        response = replace_image(client, image)
        assert response.status_code == 200 and str(files.SHOWN_ON_LIVE_PAGE) in response.content.decode()
        # The multiple-upload screen's edit form, the delete screens and the bulk delete.
        response = client.post(
            f"/admin/images/multiple/{image.pk}/",
            {f"image-{image.pk}-title": "改过的标题", f"image-{image.pk}-collection": image.collection_id},
        )
        assert response.json()["success"] is False
        client.post(f"/admin/documents/delete/{document.pk}/")
        client.post(f"/admin/images/{image.pk}/delete/")
        client.post(f"/admin/bulk/wagtaildocs/document/delete/?id={document.pk}&next=/admin/", {})
        client.post(f"/admin/bulk/wagtailimages/image/delete/?id={image.pk}&next=/admin/", {})

    # Tags and folders are the staff's bookkeeping: the bulk actions still apply them.
    login_staff(client, site.users["editor"])
    client.post(f"/admin/bulk/wagtaildocs/document/add_tags/?id={document.pk}&next=/admin/", {"tags": "供暖"})
    assert list(get_document_model().objects.get(pk=document.pk).tags.names()) == ["供暖"]

    assert body(anonymous_get(document.url)) == ORIGINAL
    assert anonymous_get(cover).status_code == 200
    assert get_image_model().objects.get(pk=image.pk).title == "供暖现场"
    # Whatever other door saves it (a script, a shell), the model refuses too.
    document = get_document_model().objects.get(pk=document.pk)
    document.file = ContentFile(SWAPPED, name="notice.pdf")
    with pytest.raises(PermissionDenied):
        document.save()


def test_a_file_under_review_cannot_be_swapped_and_is_not_yet_public(client, site):
    login_staff(client, site.users["editor"])
    document = upload_document(client, "审核中的附件")
    image = upload_image(client, "审核中的图片")
    submit_with_files(client, site, document, image, title="县政府召开供暖保障会议")
    response = replace_document(client, document)
    assert response.status_code == 200 and str(files.IN_REVIEW) in response.content.decode()
    assert anonymous_get(document.url).status_code == 404
    login_staff(client, site.users["managing"])  # the reviewer opens the attachment
    assert body(client.get(document.url)) == ORIGINAL


def test_withdrawing_the_page_takes_its_files_off_the_public_site(client, site):
    login_staff(client, site.users["editor"])
    document = upload_document(client, "将被撤下的附件")
    image = upload_image(client, "将被撤下的图片")
    article = publish_with_files(client, site, document, image)
    [cover] = image_urls(anonymous_get(article.url).content.decode())

    login_staff(client, site.users["chief"])
    assert client.post(f"/admin/pages/{article.pk}/unpublish/", {"reason": "附件有误"}).status_code == 302
    assert anonymous_get(document.url).status_code == 404
    assert anonymous_get(cover).status_code == 404
    # No longer shown nor under review: its editor may replace it again.
    login_staff(client, site.users["editor"])
    assert replace_document(client, document).status_code == 302


def test_pictures_and_documents_in_rich_text_are_public_with_their_page(client, site):
    login_staff(client, site.users["editor"])
    document = upload_document(client, "正文中链接的文件")
    image = upload_image(client, "正文中的图片")
    html = (
        f'<p>详见<a linktype="document" id="{document.pk}">附件</a>。</p>'
        f'<embed alt="现场" embedtype="image" format="fullwidth" id="{image.pk}"/>'
    )
    _response, article = create_article(client, site.portal.news, title="正文带图的信息", body=rich_text(html))
    assert files.references(ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()) == {
        (files.DOCUMENT, document.pk),
        (files.IMAGE, image.pk),
    }
    for reviewer in ("managing", "chief"):
        login_staff(client, site.users[reviewer])
        assert act(client, article, "approve") == 200

    page = anonymous_get(ArticlePage.objects.get(pk=article.pk).url).content.decode()
    [picture] = image_urls(page)
    assert anonymous_get(picture).status_code == 200
    assert anonymous_get(document.url).status_code == 200
