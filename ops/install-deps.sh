#!/usr/bin/env bash
# Installs every Debian package Oppgjør needs to build, test and run. Idempotent; run as root
# (CI does). Nothing is downloaded at build or run time beyond these packages.
# Why each library: docs/DEPENDENCIES.md.
set -euo pipefail

packages=(
  build-essential cmake pkg-config clang-format clang-tidy
  librdkafka-dev kcat                 # Kafka client and its mock cluster; kcat as outside client
  libboost-dev                        # Boost.Multiprecision (checked_int128_t) for money
  libsqlite3-dev sqlite3              # the event log and state stores
  libspdlog-dev                       # logging (human and JSON lines)
  libgtest-dev libgmock-dev           # unit tests
  libbenchmark-dev                    # micro-benchmarks in bench/
  libsimdjson-dev                     # JSON parsing on the hot path (intake, replay)
  nlohmann-json3-dev                  # JSON off the hot path (benchmark comparison)
  libssl-dev                          # SHA-256 (EVP) for the hash chain
  libxxhash-dev                       # XXH3-128: the snapshot store's checksum of state files
  libcli11-dev                        # the oppgjor command line
  json-schema-test-suite              # official JSON Schema conformance tests (draft 7)
  python3 python3-stdnum              # independent identifier implementation for cross-checks
  libsaxonhe-java default-jre-headless  # XSLT 3.0 to run the official PEPPOL/EHF Schematron rules
                                      # on our UBL output (formats/ehf test ehf_official_rules)
  libcpp-httplib-dev                  # HTTP: `serve --http` health and metrics (kafka/host/health.h)
  libxml2-utils                       # xmllint: our SAF-T files against Skatteetaten's XSD
                                      # (ctest saft_exports_xsd, formats/saft/README.md)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
