"""marshmallow schemas of every API input and output; the OpenAPI document is built from them."""
