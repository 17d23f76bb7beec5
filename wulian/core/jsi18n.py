"""The sentences the site's own scripts (site.js, chain_map.js) show, in the reader's language.

base.html writes them as a JSON block (`{% js_strings %}`) that `wlT()` in site.js reads, keyed
by the Chinese text, so a script shows Chinese when the block is missing. They are ordinary
messages of the django catalogue: makemessages finds them here (gettext_noop) and the catalogue
test requires their English.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

MESSAGES = (
    gettext_noop("文件过大：%(files)s，单个文件上限 %(mb)s MB。请压缩或重新选择。"),
    gettext_noop("%(name)s（%(size)s MB）"),
    gettext_noop("、"),
    gettext_noop("不能超过 %(limit)s 字（现为 %(n)s 字），请删减后再提交。"),
    gettext_noop("请选择（可输入搜索）"),
    gettext_noop("没有匹配的选项"),
    gettext_noop("年-月-日"),
    gettext_noop("正在生成…"),
    gettext_noop("正在生成…已用 %(s)s 秒"),
    gettext_noop("导出失败（%(status)s），请稍后重试。"),
    gettext_noop("下载中 %(done)s"),
    gettext_noop("导出失败，请稍后重试。"),
    gettext_noop("强"),
    gettext_noop("中"),
    gettext_noop("弱"),
    gettext_noop("缺失"),
    gettext_noop("强弱：%(s)s"),
    gettext_noop("主营企业：%(n)s 家"),
    gettext_noop("主营产值：%(v)s 万元（%(share)s）"),
    gettext_noop("保存为图片"),
)


def js_strings() -> dict[str, str]:
    """{Chinese text: the text in the active language} for every message above."""
    return {message: gettext(message) for message in MESSAGES}
