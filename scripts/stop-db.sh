#!/usr/bin/env bash
# Companion of demo.sh: stops the embedded PostgreSQL cluster.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
stop_postgres
