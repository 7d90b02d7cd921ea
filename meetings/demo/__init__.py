"""Parts of the demo that the demo_data command loads, one module per part of the product."""
