"""``python -m issuer_service <command>``: the admin commands, also before a key exists."""
from flask.cli import FlaskGroup


def main() -> None:
    from . import create_app
    FlaskGroup(create_app=lambda: create_app(require_key=False), help="Paspoort issuer service admin").main()


if __name__ == "__main__":
    main()
