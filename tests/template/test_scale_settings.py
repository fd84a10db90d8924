"""The scale model reads each stage's own settings from the packaged template."""

from __future__ import annotations

from bench.scale_model import settings_from_template


def test_the_scale_model_sees_each_stages_settings(templates):
    dev, prod = settings_from_template(templates["dev"]), settings_from_template(templates["prod"])

    assert (dev.stage_rate_limit, prod.stage_rate_limit) == (50, 500)
    assert (dev.processor_maximum_concurrency, prod.processor_maximum_concurrency) == (10, 50)
    assert (dev.api_reserved_concurrency, prod.api_reserved_concurrency) == (20, 200)
    assert dev.batch_size == prod.batch_size == 10
    assert dev.api_memory_mb == 256
