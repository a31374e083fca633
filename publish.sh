#!/usr/bin/env bash
# Builds what goes to Azure: artifacts/automation-functions.zip, the Functions app with host.json,
# one folder per function and the handler self-contained for linux-x64 (the csproj lays it out
# whenever the project is published, so `azd deploy` gets the same package). Deploy it with
#   az functionapp deploy -g <group> -n <app> --src-path artifacts/automation-functions.zip --type zip
# or run `azd up` (docs/deploy.md).
set -euo pipefail
cd "$(dirname "$0")"
rm -rf artifacts/publish
dotnet publish functions/Automation.Functions/Automation.Functions.csproj -c Release -o artifacts/publish \
  -p:FunctionAppZip="$PWD/artifacts/automation-functions.zip" "$@"
