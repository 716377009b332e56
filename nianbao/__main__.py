"""``python -m nianbao …`` runs the ``nianbao`` command."""

from nianbao.pipeline.cli import main

if __name__ == "__main__":
    main(prog_name="nianbao")
