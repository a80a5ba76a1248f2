#!/bin/sh
# The lesson's execution sample, run from this folder: the same Dockerfile and lock built twice,
# each time from scratch (--no-cache runs every step again, so pip downloads and installs anew),
# and each image's report saved and compared. `diff` prints nothing and succeeds when two files
# are identical; otherwise it shows the lines that differ and fails, and so does this script.
set -e
docker build --no-cache -t pinned-build:first .
docker build --no-cache -t pinned-build:second .
docker run --rm pinned-build:first > first.json
docker run --rm pinned-build:second > second.json
diff first.json second.json
diff first.json expected-output.json
