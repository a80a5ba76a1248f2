#!/bin/sh
# The lesson's execution sample, run from this folder (scripts/check-example-image.sh runs it).
set -e
docker build -t ml-model:1.0 .
docker run ml-model:1.0
