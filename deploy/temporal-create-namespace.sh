#!/bin/sh
# Run once by docker-compose.yml's `temporal-create-namespace` service (image temporalio/admin-tools, with the
# `temporal` CLI) once the server is healthy: registers the namespace the API and the workers use. Our search
# attributes are registered by the product itself at start (workflows/register-search-attributes.ts).
set -eu
namespace="${TEMPORAL_NAMESPACE:-default}"
until temporal operator cluster health --address "$TEMPORAL_ADDRESS"; do echo "waiting for $TEMPORAL_ADDRESS"; sleep 2; done
temporal operator namespace describe --namespace "$namespace" --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1 \
  || temporal operator namespace create --namespace "$namespace" --retention 7d --address "$TEMPORAL_ADDRESS"
echo "namespace $namespace ready"
