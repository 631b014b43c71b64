"""The demo catalog: written for Prism, loaded by `prism demo`."""
