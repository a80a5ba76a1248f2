#!/bin/sh
# The lesson's execution sample, run from this folder: each command is one of lesson.yml's.
set -e
docker build -t {slug}:1.0 .
docker run --rm {slug}:1.0
