# Sourced by scripts/check-example.sh (build_image, run_image; $example, $work): what
# commands.sh does, checked. Two builds from scratch (--no-cache: every step runs again, pip
# downloads and installs anew) print the same report, and that report is expected-output.json.
check_image() {
  build_image pinned-build:first --no-cache
  build_image pinned-build:second --no-cache
  run_image pinned-build:first >"$work/first.json"
  run_image pinned-build:second >"$work/second.json"
  cat "$work/first.json"
  diff "$work/first.json" "$work/second.json" ||
    { echo "the two builds' reports differ" >&2; return 1; }
  diff "$work/first.json" "$example/expected-output.json" ||
    { echo "the report differs from $example/expected-output.json" >&2; return 1; }
}
