# The set-up of the pvd-run suites (run.bats, hostile-run.bats): a copy of
# pvd-run in a scratch bin/, beside the stub stages of fixtures/run/bin
# (pvd-run finds the filters beside itself), and a copy of fixtures/run.
stub_setup() {
	cd "$BATS_TEST_TMPDIR"
	mkdir bin
	cp "$PVD_BIN/pvd-run" bin/
	cp -R "$FIX/run" run
	for p in ingest clean join aggregate render; do
		ln -s ../run/bin/pvd-stub "bin/pvd-$p"
	done
	export PVD_CONFIG=run/config
	unset NO_COLOR PVD_RUN_NO_EXCHANGE
	# the stubs stand in for the filter programs: the runner's pipe mode,
	# which runs them (the fused mode runs the stages inside pvd-run)
	export PVD_RUN_PIPES=1
}
