"""The view across municipalities: where the municipalities a viewer may see typically
stand per field, never naming one of them."""
