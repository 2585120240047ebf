"""Process exit codes, one meaning each (documented in the README)."""

OK = 0
"""Nothing at or above the --fail-on threshold."""
FINDINGS = 1
"""Findings at or above the --fail-on threshold."""
ERROR = 2
"""Usage, input, rule, configuration or network error: nothing was audited, or the input was unusable."""
INCOMPLETE = 3
"""An audit ran but some guides could not be fetched or read; the report says which and why."""
