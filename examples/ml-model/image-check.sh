# Sourced by scripts/check-example.sh, which defines build_image and run_image: on this
# machine's platform, the image prints exactly the predictions in expected-output.json.
# (scripts/check-example-image.sh checks both platforms and the environment report as well.)
check_image() {
  build_image ml-model:1.0
  run_image ml-model:1.0 >"$work/run.json"
  python3 scripts/compare_predictions.py "$work/run.json" "$example/expected-output.json"
}
