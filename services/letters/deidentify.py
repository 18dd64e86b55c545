"""Automatic de-identification of a letter's public version (个人信息保护法): the writer's
name, phones, ID numbers and addresses are removed before an official edits and approves it."""

import re

from portal.pii import mask_name

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")
# A house address: a township or street name followed by a number and unit words.
ADDRESS = re.compile(
    r"[\u4e00-\u9fa5]{1,12}(?:路|街|巷|村|小区|社区|组)[\u4e00-\u9fa5\d]{0,12}?\d+\s*(?:号|栋|幢|单元|室|号楼)[\d\-\u4e00-\u9fa5]{0,10}"
)


def _writer_values(letter):
    values = []
    for value in (letter.writer_name, letter.phone, letter.id_number, letter.address):
        value = (value or "").strip()
        if len(value) >= 2:
            values.append(value)
    return values


def deidentify(text, letter):
    text = text or ""
    address = (letter.address or "").strip()
    if address:
        text = text.replace(address, "（地址已隐去）")
    name = (letter.writer_name or "").strip()
    if len(name) >= 2:
        text = text.replace(name, mask_name(name))
    text = ID_NUMBER.sub("（身份证号已隐去）", text)
    text = MOBILE.sub("（电话已隐去）", text)
    text = LANDLINE.sub("（电话已隐去）", text)
    text = ADDRESS.sub("（地址已隐去）", text)
    if letter.phone:
        text = text.replace(letter.phone, "（电话已隐去）")
    return text


def contains_personal_data(text, letter):
    text = text or ""
    if any(value in text for value in _writer_values(letter)):
        return True
    return bool(ID_NUMBER.search(text) or MOBILE.search(text))
