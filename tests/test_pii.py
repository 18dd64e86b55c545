"""The personal-data helpers every app uses."""

import pytest
from django.core.exceptions import ValidationError

from portal.pii import mask_address, mask_id_number, mask_name, mask_phone, pii_hash, validate_id_number

VALID_ID = "11010519491231002X"


def test_a_valid_id_number_passes_and_is_normalised():
    assert validate_id_number("11010519491231002x") == VALID_ID


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("110105194912310021", "校验位不正确"),
        ("1101051949123100", "应为18位"),
        ("11010519491231002Y", "格式不正确"),
    ],
)
def test_invalid_id_numbers_get_chinese_messages(value, message):
    with pytest.raises(ValidationError) as error:
        validate_id_number(value)
    assert message in error.value.messages[0]


def test_masks_show_only_what_a_screen_needs():
    assert mask_phone("13812341234") == "138****1234"
    assert mask_id_number(VALID_ID) == "11*************02X"
    assert mask_address("青山县城关镇解放路12号3单元") == "青山县城关镇****"
    assert mask_name("张三丰") == "张某"


def test_keyed_hash_matches_the_same_number_in_any_case_and_differs_by_purpose():
    assert pii_hash(VALID_ID) == pii_hash(VALID_ID.lower())
    assert pii_hash(VALID_ID) != pii_hash(VALID_ID, purpose="phone")
    assert VALID_ID not in pii_hash(VALID_ID)
