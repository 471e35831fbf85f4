#!/usr/bin/env bash
# The style checks the test command runs (docs/development.md, "Style"):
#  1. every C++ source is formatted with .clang-format;
#  2. every logging category is named after the folder its file lives in:
#     engine/AREA/... -> "shivx.AREA[.part]", ui/AREA/... -> "shivx.ui.AREA[.part]",
#     app/cli -> "shivx.cli[.part]", app/console -> "shivx.console[.part]",
#     reports -> "shivx.reports[.part]", bench/NAME -> "shivx.bench.NAME[.part]".
# Each failure names the file. Fix formatting with: clang-format -i FILE...
set -euo pipefail
cd "$(dirname "$0")/.."
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.cpp' '*.h')
else
    mapfile -t files < <(find app engine reports tests ui bench -name '*.cpp' -o -name '*.h')
fi
status=0

# One clang-format run over all files; its diagnostics start with "FILE:LINE:COL:".
mapfile -t bad < <(clang-format --dry-run "${files[@]}" 2>&1 \
    | grep -oP '^[^:\s]+(?=:\d+:\d+: (warning|error))' | sort -u)
if [[ ${#bad[@]} -gt 0 ]]; then
    echo "Not formatted with .clang-format (${#bad[@]} files):" >&2
    printf '  %s\n' "${bad[@]}" >&2
    echo "Fix with: clang-format -i FILE..." >&2
    status=1
fi

expected_prefix() {
    case "$1" in
        engine/*/*) local a=${1#engine/}; echo "shivx.${a%%/*}" ;;
        ui/*/*) local a=${1#ui/}; echo "shivx.ui.${a%%/*}" ;;
        app/cli/*) echo "shivx.cli" ;;
        app/console/*) echo "shivx.console" ;;
        reports/*) echo "shivx.reports" ;;
        bench/*/*) local a=${1#bench/}; echo "shivx.bench.${a%%/*}" ;;
        *) echo "" ;;
    esac
}
while IFS= read -r hit; do
    file=${hit%%:*}
    name=$(sed -E 's/.*Q_LOGGING_CATEGORY\([^,]+, *"([^"]+)".*/\1/' <<<"$hit")
    prefix=$(expected_prefix "$file")
    if [[ -z "$prefix" ]]; then
        echo "$file: logging category \"$name\" declared outside engine/, ui/, app/, reports/ or bench/" >&2
        status=1
    elif [[ "$name" != "$prefix" && "$name" != "$prefix".* ]]; then
        echo "$file: logging category \"$name\" should be \"$prefix\" or \"$prefix.PART\"" >&2
        status=1
    fi
done < <(grep -H 'Q_LOGGING_CATEGORY(' "${files[@]}" 2>/dev/null | grep -v '^tests/' || true)
exit $status
