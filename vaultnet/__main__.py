from vaultnet.cli import entry

entry()
