#!/usr/bin/env bash
# Runs the app locally on http://127.0.0.1:7071 against Azurite. Starts Azurite (data kept in
# .azurite/, git-ignored) unless something already listens on the queue and table ports, and
# stops it again on exit. Creates local.settings.json from the sample on first run.
set -euo pipefail
azurite=""
cd "$(dirname "$0")"

[ -d node_modules/azurite ] || npm ci --no-audit --no-fund

if [ ! -f local.settings.json ]; then
  key=$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)
  linkkey=$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 48)
  sed -e "s/__GENERATED_ON_FIRST_RUN__/$key/" -e "s/__GENERATED_LINK_KEY__/$linkkey/" local.settings.sample.json > local.settings.json
  echo "Created local.settings.json. Admin API key (X-Api-Key): $key"
fi

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if listening 10001 && listening 10002; then
  echo "Using the storage emulator already listening on 10001 (queues) and 10002 (tables)."
elif listening 10001 || listening 10002; then
  echo "Something listens on only one of ports 10001/10002; stop it or start Azurite yourself." >&2
  exit 1
else
  mkdir -p .azurite
  node node_modules/azurite/dist/src/azurite.js --silent --location .azurite --skipApiVersionCheck --loose \
    --disableTelemetry --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 >.azurite/azurite.log 2>&1 &
  azurite=$!
  for _ in $(seq 1 100); do listening 10001 && listening 10002 && break; sleep 0.2; done
  listening 10002 || { echo "Azurite did not start; see .azurite/azurite.log" >&2; exit 1; }
  echo "Started Azurite (data in .azurite/)."
fi

# The app runs as a child we wait for, so that Ctrl-C or a TERM stops it and the Azurite started here.
dotnet run --project functions/Automation.Functions -c Release -- "$@" &
app=$!
trap 'kill $app ${azurite:-} 2>/dev/null || true' INT TERM EXIT
wait $app
