#!/bin/sh
# Second pass of the provisioning: subscribe the ContentChanged function to the blob events of the
# `content` container. Run it after the app's code is deployed, since Event Grid validates the
# webhook when it creates the subscription and only the running Functions host answers, with a
# system key (blobs_extension) that exists only once the host has started.
#
#   infra/scripts/subscribe-content-events.sh [resource-group] [function-app] [parameters.bicepparam]
#
# Without arguments it takes AZURE_RESOURCE_GROUP, AZURE_FUNCTION_APP_NAME and infra/main.bicepparam,
# which is how azd's postdeploy hook runs it. Needs the Azure CLI, signed in.
set -eu

resource_group="${1:-${AZURE_RESOURCE_GROUP:-}}"
function_app="${2:-${AZURE_FUNCTION_APP_NAME:-}}"
parameters="${3:-infra/main.bicepparam}"
infra_dir="$(dirname "$0")/.."

if [ -z "$resource_group" ] || [ -z "$function_app" ]; then
  echo "error: give the resource group and the function app name, or set AZURE_RESOURCE_GROUP and AZURE_FUNCTION_APP_NAME." >&2
  exit 2
fi
if [ ! -f "$parameters" ]; then
  echo "error: parameter file '$parameters' not found; run from the repository root or pass its path." >&2
  exit 2
fi

# Wake the host: on Flex Consumption it may be scaled to zero, and it creates the key when it starts.
host_name="$(az functionapp show --resource-group "$resource_group" --name "$function_app" --query defaultHostName --output tsv)"
curl --silent --output /dev/null --max-time 60 "https://$host_name/" || true

key=""
attempt=1
while [ -z "$key" ]; do
  key="$(az functionapp keys list --resource-group "$resource_group" --name "$function_app" \
    --query systemKeys.blobs_extension --output tsv 2>/dev/null || true)"
  if [ -n "$key" ]; then
    break
  fi
  if [ "$attempt" -ge 20 ]; then
    echo "error: the Functions host of '$function_app' has no blobs_extension key after $attempt attempts." >&2
    echo "Check that the code is deployed and that it has a blob trigger with Source = EventGrid (ContentChanged)." >&2
    exit 1
  fi
  echo "Waiting for the Functions host to create its blobs_extension key ($attempt)..."
  attempt=$((attempt + 1))
  sleep 15
done

# Keep the key out of CI logs.
if [ -n "${GITHUB_ACTIONS:-}" ]; then
  echo "::add-mask::$key"
fi

echo "Subscribing ContentChanged to the content container's blob events..."
BLOBS_EXTENSION_KEY="$key" az deployment group create \
  --resource-group "$resource_group" \
  --name londontories-content-events \
  --template-file "$infra_dir/main.bicep" \
  --parameters "$parameters" \
  --output none
echo "Done: blobs pushed to the content container now trigger ContentChanged."
