#!/bin/sh
# The lesson's execution sample, run from this folder: build the image, start the server,
# check it, stop it. check_server.py waits for /ready itself, however long the model takes.
set -e
docker build -t model-server:1.0 .
docker run -d --name model-server -p 8080:8080 model-server:1.0
# From here on, a failing command still stops and removes the container before the script exits.
trap 'docker stop model-server >/dev/null; docker rm model-server >/dev/null' EXIT
python check_server.py --url http://127.0.0.1:8080
trap - EXIT
docker stop model-server
docker rm model-server
