# Quarterly runs (included by the top Makefile).
#
#   make 2021-Q4               pvd-run pipelines/2021-Q4.yaml, writing out/2021-Q4/
#   make quarter Q=2021-Q4     the same
#   make 2021-Q4 PVD_RUN_FLAGS='--jobs 2 --keep-going'
#
# One target per pipelines/QUARTER.yaml, which must write out/QUARTER/.  The
# stamp out/QUARTER/.stamp is made when a run succeeded; a quarter is run
# again only when something it reads is newer: its pipeline file, a file
# `pvd-run --print-deps` lists (sources, profiles, reference tables, the
# catalogue, the dataset schemas, the dashboard layout and its map, the
# previous quarter's indicators.json and provenance.json), or a program.  The previous quarter's document is made by running that
# quarter first, so `make 2021-Q4` runs 2021-Q3 when it is missing or stale.

PVD_RUN       := $(BUILD)/bin/pvd-run
PVD_RUN_FLAGS ?=
QUARTERS      := $(patsubst pipelines/%.yaml,%,$(wildcard pipelines/*.yaml))

.PHONY: $(QUARTERS)
$(QUARTERS): %: out/%/.stamp

quarter:
	@if [ -z "$(Q)" ]; then echo 'usage: make quarter Q=QUARTER (one of: $(QUARTERS))' >&2; exit 2; fi
	@$(MAKE) --no-print-directory out/$(Q)/.stamp

# The dependencies are asked of pvd-run when the stamp is considered (second
# expansion), so that a `make` of anything else never runs it.  A previous
# quarter's out/Q/indicators.json is depended on through its stamp: the
# stamp is what says that quarter is up to date.  (The % of that patsubst
# comes from a variable: a literal one would be taken for the rule's stem.)
PVD_PCT := %
.SECONDEXPANSION:
out/%/.stamp: pipelines/%.yaml $(BINS) \
		$$(patsubst out/$$(PVD_PCT)/indicators.json,out/$$(PVD_PCT)/.stamp,$$(shell $(PVD_RUN) --print-deps pipelines/$$*.yaml 2>/dev/null))
	$(PVD_RUN) $(PVD_RUN_FLAGS) $<
	@touch $@

.PRECIOUS: out/%/.stamp
