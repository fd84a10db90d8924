"""Code shared by the order system's Lambdas, shipped as the `shared` Lambda layer."""
