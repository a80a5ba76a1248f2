# Sourced by scripts/check-example.sh, which builds and runs the image (build_image, run_image,
# start_image, stop_image, image_healthcheck; $example is this folder, $work a scratch folder).
# check_image returns non-zero, having said why, when the image does not do what the lesson
# says. TODO: check what the lesson claims about the example, and no more.
check_image() {
  build_image {slug}:1.0
  run_image {slug}:1.0 >"$work/output.json"
  python3 -c 'import json, sys; a, b = (json.load(open(p)) for p in sys.argv[1:]); sys.exit(a != b)' \
    "$work/output.json" "$example/expected-output.json" ||
    { echo "the output differs from $example/expected-output.json" >&2; return 1; }
}
