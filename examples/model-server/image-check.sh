# Sourced by scripts/check-example.sh (build_image, image_healthcheck, start_image, stop_image,
# free_port; $example, $work): what commands.sh does, checked. The image declares a HEALTHCHECK
# of /health; started, it becomes ready, and /predict answers the sample input with exactly
# expected-output.json (check_server.py waits for /ready and compares); then it stops.
check_image() {
  local healthcheck port status=0
  build_image model-server:1.0
  healthcheck=$(image_healthcheck model-server:1.0)
  echo "HEALTHCHECK: $healthcheck"
  case $healthcheck in
    *CMD*/health*) ;;
    *) echo "the image declares no HEALTHCHECK of /health, got: $healthcheck" >&2; return 1 ;;
  esac
  port=$(free_port)
  start_image model-server:1.0 model-server "$port" 8080
  python3 "$example/check_server.py" --url "http://127.0.0.1:$port" \
    --expected "$example/expected-output.json" --timeout 60 || status=1
  stop_image model-server
  return "$status"
}
