#!/usr/bin/env bash
# For each requirement id of the interconnection spec, the tests that prove it: test classes and
# methods tagged @Tag("IC-...") under src/test/java (issue #24). Ids without any test are listed
# at the end.
#
#   scripts/requirements.sh [--strict] [spec.md]
#
# spec.md defaults to ../shared/spec/interconnect.md relative to the repository root. Exit status
# 0, or with --strict 1 when some id has no test (2 on bad usage or a missing spec).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
strict=false
spec=
for arg in "$@"; do
    case $arg in
        --strict) strict=true ;;
        -h|--help) sed -n '2,9s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
        -*) echo "unknown option: $arg" >&2; exit 2 ;;
        *) [[ -z $spec ]] || { echo "one spec file only" >&2; exit 2; }; spec=$arg ;;
    esac
done
spec=${spec:-$root/../shared/spec/interconnect.md}
[[ -r $spec ]] || { echo "cannot read the spec: $spec" >&2; exit 2; }

# The ids, in the spec's order: lines "- IC-XXX: ...".
mapfile -t ids < <(sed -n 's/^- \(IC-[A-Za-z0-9-]*\):.*/\1/p' "$spec")
[[ ${#ids[@]} -gt 0 ]] || { echo "no '- IC-...:' lines in $spec" >&2; exit 2; }

# "id<TAB>test" for every tag: a tag belongs to the next class or method declared after it, and
# is named Class, Class.Nested, Class#method or Class.Nested#method.
tagged=$(find "$root/src/test/java" -name '*.java' -print0 | sort -z | xargs -0 awk '
    FNR == 1 { top = FILENAME; sub(/.*\//, "", top); sub(/\.java$/, "", top); nested = ""; n = 0 }
    {
        line = $0
        while (match(line, /@Tag\("IC-[A-Za-z0-9-]+"\)/)) {
            pending[n++] = substr(line, RSTART + 6, RLENGTH - 8)
            line = substr(line, RSTART + RLENGTH)
        }
        indent = match($0, /[^ ]/) - 1
        if (nested != "" && $0 ~ /^ *}$/ && indent == nestedIndent) nested = ""
        if (match($0, /(^|[ ])class [A-Za-z0-9_]+/)) {
            name = substr($0, RSTART, RLENGTH); sub(/.*class /, "", name)
            if (indent > 0) { nested = name; nestedIndent = indent }
            owner = (indent > 0) ? top "." name : top
            for (i = 0; i < n; i++) print pending[i] "\t" owner
            n = 0
        } else if (n > 0 && match($0, /void [A-Za-z0-9_]+\(/)) {
            name = substr($0, RSTART + 5, RLENGTH - 6)
            for (i = 0; i < n; i++) print pending[i] "\t" top (nested != "" ? "." nested : "") "#" name
            n = 0
        }
    }')

untested=()
for id in "${ids[@]}"; do
    tests=$(awk -F'\t' -v id="$id" '$1 == id { printf "%s%s", (c++ ? ", " : ""), $2 }' <<<"$tagged")
    if [[ -n $tests ]]; then
        printf '%-16s %s\n' "$id" "$tests"
    else
        printf '%-16s -\n' "$id"
        untested+=("$id")
    fi
done

# Tags that name no id of the spec: a typo, or a requirement that was renamed or removed.
unknown=$(cut -f1 <<<"$tagged" | sort -u | grep -vxF -f <(printf '%s\n' "${ids[@]}") || true)
if [[ -n $unknown ]]; then
    echo
    echo "Tags that are not ids of $spec:" $unknown
fi

echo
if [[ ${#untested[@]} -eq 0 ]]; then
    echo "Every id of $(basename "$spec") has a test (${#ids[@]} ids)."
else
    echo "Without a test (${#untested[@]} of ${#ids[@]}): ${untested[*]}"
    if $strict; then exit 1; fi
fi
