"""Check kinds: each implemented once, in its own module, named in this explicit registry.

A rule pack names a kind (`check = "forbidden_terms"`) and gives its `params`; the kind's `prepare`
validates and compiles them once per RuleSet, its `check` yields raw `Hit`s for one guide.
"""

from __future__ import annotations

from guidecheck.checks import (
    approval_stages,
    basis_article,
    broken_links,
    case_type_vs_limit,
    channel_flow_contradiction,
    channel_without_flow,
    compare_limits,
    delivery_present,
    duplicate_materials,
    faq_answers,
    fee_details,
    flow_image_only,
    flow_mentions_unlisted_material,
    flow_present,
    flowchart_item,
    flowchart_owner,
    flowchart_required,
    forbidden_terms,
    form_material_needs_link,
    full_online_vs_paper,
    limit_consistency,
    limit_max,
    limit_unit,
    material_attribute_missing,
    online_url,
    pattern,
    phone_format,
    placeholder_terms,
    post_channel_vs_delivery,
    precondition,
    required_elements,
    requires_text,
    step_limits_sum,
    step_time_missing,
    terse_steps,
    visit_claims,
    visits_vs_flow,
)
from guidecheck.checks.base import CheckKind, Hit, ParamError


def _kind(module) -> CheckKind:  # type: ignore[no-untyped-def]
    return CheckKind(run=module.check, prepare=module.prepare, doc=(module.__doc__ or "").strip())


CHECK_KINDS: dict[str, CheckKind] = {
    # completeness
    "required_elements": _kind(required_elements),
    "placeholder_terms": _kind(placeholder_terms),
    "pattern": _kind(pattern),
    "online_url": _kind(online_url),
    "phone_format": _kind(phone_format),
    "basis_article": _kind(basis_article),
    "fee_details": _kind(fee_details),
    "faq_answers": _kind(faq_answers),
    # time limits
    "compare_limits": _kind(compare_limits),
    "limit_unit": _kind(limit_unit),
    "case_type_vs_limit": _kind(case_type_vs_limit),
    "step_limits_sum": _kind(step_limits_sum),
    "limit_consistency": _kind(limit_consistency),
    "limit_max": _kind(limit_max),
    # materials
    "forbidden_terms": _kind(forbidden_terms),
    "material_attribute_missing": _kind(material_attribute_missing),
    "form_material_needs_link": _kind(form_material_needs_link),
    "duplicate_materials": _kind(duplicate_materials),
    "flow_mentions_unlisted_material": _kind(flow_mentions_unlisted_material),
    "broken_links": _kind(broken_links),
    "requires_text": _kind(requires_text),
    # flow
    "flow_present": _kind(flow_present),
    "flow_image_only": _kind(flow_image_only),
    "terse_steps": _kind(terse_steps),
    "step_time_missing": _kind(step_time_missing),
    "delivery_present": _kind(delivery_present),
    "flowchart_required": _kind(flowchart_required),
    "approval_stages": _kind(approval_stages),
    # consistency
    "channel_flow_contradiction": _kind(channel_flow_contradiction),
    "visits_vs_flow": _kind(visits_vs_flow),
    "flowchart_owner": _kind(flowchart_owner),
    "flowchart_item": _kind(flowchart_item),
    "full_online_vs_paper": _kind(full_online_vs_paper),
    "post_channel_vs_delivery": _kind(post_channel_vs_delivery),
    "channel_without_flow": _kind(channel_without_flow),
    "visit_claims": _kind(visit_claims),
    "precondition": _kind(precondition),
}
"""Check kind name → its implementation. Add a kind here and nowhere else."""

__all__ = ["CHECK_KINDS", "CheckKind", "Hit", "ParamError"]
