#!/usr/bin/env bash
# pvd-run --dry-run run/stub.yaml: period 2021-Q4, 2 sources, formats json md.
# pvd-run itself also checks the TOTAL rows against the sums in pvd-clean's report,
# writes provenance.json for pvd-render, checks that the
# counts reconcile, writes run-report.json/.txt, and swaps the new directory in
# atomically.
set -eo pipefail
# the pipeline's config directory, for every filter
export PVD_CONFIG=run/config
mkdir -p run/out
work=$(mktemp -d run/out/.2021-Q4.work.XXXXXX)
new=$(mktemp -d run/out/.2021-Q4.new.XXXXXX)
mkdir "$new"/rejects

# source dotations: run/data/dotations.csv, profile dotations-test
pvd-ingest -q --profile dotations-test --rejects "$new"/rejects/ingest-dotations.ndjson --report "$work"/ingest-dotations.report.json run/data/dotations.csv |
  pvd-clean -q --profile dotations-test --rejects "$new"/rejects/clean-dotations.ndjson --report "$work"/clean-dotations.report.json |
  pvd-join -q --ref pvd=pvd-test --ref communes=communes-test --rejects "$new"/rejects/join-dotations.ndjson --report "$work"/join-dotations.report.json |
  pvd-aggregate -q --partial --indicators run/config/indicators.yaml --period 2021-Q4 --lineage "$work"/dotations.lineage --rejects "$new"/rejects/aggregate-dotations.ndjson --report "$work"/aggregate-dotations.report.json >"$work"/dotations.state

# source ort: run/data/ort.csv, profile ort-test
pvd-ingest -q --profile ort-test --rejects "$new"/rejects/ingest-ort.ndjson --report "$work"/ingest-ort.report.json run/data/ort.csv |
  pvd-clean -q --profile ort-test --rejects "$new"/rejects/clean-ort.ndjson --report "$work"/clean-ort.report.json |
  pvd-join -q --ref pvd=pvd-test --ref communes=communes-test --rejects "$new"/rejects/join-ort.ndjson --report "$work"/join-ort.report.json |
  pvd-aggregate -q --partial --indicators run/config/indicators.yaml --period 2021-Q4 --lineage "$work"/ort.lineage --rejects "$new"/rejects/aggregate-ort.ndjson --report "$work"/aggregate-ort.report.json >"$work"/ort.state

# merge the sources' states into the indicators
pvd-aggregate -q --merge --indicators run/config/indicators.yaml --period 2021-Q4 --lineage "$new"/lineage.ndjson --rejects "$new"/rejects/merge.ndjson --report "$work"/merge.report.json "$work"/dotations.state "$work"/dotations.lineage "$work"/ort.state "$work"/ort.lineage >"$new"/indicators.ndjson

# render (pvd-run also passes --provenance with the provenance.json it writes:
# input files with sha256, records and rejects per stage)
pvd-render -q --previous run/data/previous.json --format json --output "$new"/indicators.json --rejects "$new"/rejects/render-json.ndjson --report "$work"/render-json.report.json "$new"/indicators.ndjson
pvd-render -q --previous run/data/previous.json --format md --output "$new"/indicators.md --rejects "$new"/rejects/render-md.ndjson --report "$work"/render-md.report.json "$new"/indicators.ndjson

# an empty rejects file says nothing: pvd-run removes them too
find "$new"/rejects -type f -empty -delete

# replace the output directory
rm -rf run/out/2021-Q4
mv "$new" run/out/2021-Q4
rm -rf "$work"
