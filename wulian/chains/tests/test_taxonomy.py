"""The taxonomy file: validation (cycles, orphans, empty chains) and the bundled file."""

import pytest
from django.core.exceptions import ValidationError

from wulian.chains.models import Chain, Link, LinkEdge
from wulian.chains.taxonomy import load_taxonomy, parse_taxonomy, read_taxonomy


def chain(code="t", links=()):
    return {"code": code, "name": "测试链", "link": list(links)}


def link(code, supplies=(), segment="mid"):
    return {"code": code, "name": f"环节{code}", "segment": segment, "supplies": list(supplies)}


def test_cycle_is_rejected_with_a_clear_chinese_error():
    data = {"chain": [chain(links=[link("a", ["b"]), link("b", ["c"]), link("c", ["a"])])]}
    with pytest.raises(ValidationError) as info:
        parse_taxonomy(data)
    message = "；".join(info.value.messages)
    assert "循环" in message
    assert "环节a → 环节b → 环节c → 环节a" in message


def test_orphan_link_and_empty_chain_are_warnings_not_errors():
    data = {"chain": [chain("t", [link("a", ["b"]), link("b"), link("alone")]), chain("e")]}
    taxonomy = parse_taxonomy(data)
    assert any("环节alone" in w and "孤立" in w for w in taxonomy.warnings)
    assert any("空链" in w for w in taxonomy.warnings)
    assert len(taxonomy.chains) == 2 and taxonomy.chains[1].links == []


def test_unknown_target_bad_segment_and_duplicate_codes_are_all_reported():
    data = {
        "chain": [
            chain(links=[link("a", ["zz"]), link("a"), {"code": "b", "name": "乙", "segment": "x"}])
        ]
    }
    with pytest.raises(ValidationError) as info:
        parse_taxonomy(data)
    text = "；".join(info.value.messages)
    assert "zz 不存在" in text
    assert "重复" in text
    assert "segment" in text and "“x”" in text


def test_bundled_file_is_valid_with_at_least_twelve_links_per_chain():
    taxonomy = read_taxonomy()
    codes = [c.code for c in taxonomy.chains]
    assert codes == ["xcl", "xny", "jcdl", "gdzb", "smjk", "tzz"]
    for spec in taxonomy.chains:
        assert len(spec.links) >= 12, spec.name
        assert {link.segment for link in spec.links} == {"up", "mid", "down"}


@pytest.mark.django_db
def test_load_is_idempotent_and_keeps_ui_edits():
    taxonomy = read_taxonomy()
    first = load_taxonomy(actor=None, taxonomy=taxonomy)
    assert first["chains"] == 6 and first["links"] >= 72
    Link.objects.filter(chain__code="xcl", code="ahf").update(name="改过的名字")
    again = load_taxonomy(actor=None, taxonomy=taxonomy)
    assert again == {"chains": 0, "links": 0, "edges": 0}
    assert Link.objects.get(chain__code="xcl", code="ahf").name == "改过的名字"
    assert Chain.objects.count() == 6
    assert LinkEdge.objects.filter(chain__code="xcl").count() == first["edges"] - sum(
        len(link.supplies) for c in taxonomy.chains if c.code != "xcl" for link in c.links
    )
