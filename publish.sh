#!/usr/bin/env bash
# Builds what goes to Azure: artifacts/automation-functions.zip, the Functions app with host.json,
# one folder per function and the handler self-contained for linux-x64 (the csproj lays it out
# whenever the project is published, so `azd deploy` gets the same package). Deploy it with
#   az functionapp deploy -g <group> -n <app> --src-path artifacts/automation-functions.zip --type zip
# or run `azd up` (docs/deploy.md).
set -euo pipefail
cd "$(dirname "$0")"
# ARTIFACTS_DIR: where to write (default artifacts/; the package test writes to a temporary folder).
out=$(realpath -m "${ARTIFACTS_DIR:-artifacts}")
rm -rf "$out/publish"
dotnet publish functions/Automation.Functions/Automation.Functions.csproj -c Release -o "$out/publish" \
  -p:FunctionAppZip="$out/automation-functions.zip" "$@"
