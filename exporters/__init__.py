"""Channel exporters and publications.

An exporter (one module, registered with `@exporter(kind)`) declares a channel format's
fields and rules, a default mapping and a writer. `engine.prepare_export` checks a
channel's mapping and filters; `engine.run_export` streams products from one read snapshot
through it. Publications (`publishing.start_publication`, `start_rollback`) run as jobs,
record what went where, and keep each channel's live listing; `preview.preview_listing`
and `consistency.consistency_report` show a product across channels.
"""
