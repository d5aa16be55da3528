#!/usr/bin/env sh
# Publish this checkout's glossary/ as the three ConfigMaps the LLM Lingo pods mount.
# Run from the repository root after a merge (by hand or from your CD pipeline):
#   sh deploy/k8s/glossary-configmaps.sh [NAMESPACE]
# Within about a minute the kubelet updates the mounted files, and every pod validates and
# serves the new glossary within LINGO_RELOAD_SECONDS. An invalid glossary is never served:
# the pods keep the previous one and tell the admins.
set -eu
namespace=${1:-}
ns=""
[ -n "$namespace" ] && ns="--namespace=$namespace"

if command -v lingo >/dev/null 2>&1; then
  lingo validate glossary
fi

publish() {  # NAME SOURCE: a ConfigMap with one key per file of SOURCE
  # shellcheck disable=SC2086
  kubectl create configmap "$1" $ns --from-file="$2" --dry-run=client -o yaml \
    | kubectl apply $ns -f -
}

publish lingo-glossary glossary/categories.yaml
publish lingo-glossary-terms glossary/terms
publish lingo-glossary-digests glossary/digests
