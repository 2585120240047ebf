"""`python -m guidecheck …` runs the command line, exactly as the `guidecheck` console script does."""

from guidecheck.cli import main

if __name__ == "__main__":
    main()
