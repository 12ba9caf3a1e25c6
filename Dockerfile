# One image for web (gunicorn), the Celery worker and beat; docker-compose.yml builds it once for all three.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# The runtime dependencies from uv.lock (pinned, with hashes; no dev or embedded extras), in a layer of their
# own so a code change does not reinstall them. uv itself comes pinned with its hashes and leaves the image
# with this layer. The project runs from /app, so it is not installed a second time into site-packages.
COPY pyproject.toml uv.lock ./
COPY scripts/uv-bootstrap.txt /tmp/uv-bootstrap.txt
RUN pip install --require-hashes -r /tmp/uv-bootstrap.txt \
    && uv export --frozen --no-emit-project --no-dev --quiet --output-file /tmp/requirements.txt \
    && pip install --require-hashes --no-deps -r /tmp/requirements.txt \
    && pip uninstall --yes uv \
    && rm /tmp/requirements.txt /tmp/uv-bootstrap.txt

COPY . .
# The translation catalogues: the .po files are committed, the .mo files Django reads are compiled here (polib,
# a runtime dependency, since this image has no GNU gettext).
RUN python scripts/compile_messages.py
# Static files under the production settings: hashed names, a manifest and compressed copies (whitenoise).
# Production refuses to start without a secret key and allowed hosts; these two are build-time placeholders
# that live only in this RUN, never in the image's environment.
RUN DJANGO_DEBUG=0 \
    DATABASE_URL=postgres://build@build.invalid/unused \
    DJANGO_SECRET_KEY=build-time-only-placeholder-for-collectstatic-never-used-to-sign \
    DJANGO_ALLOWED_HOSTS=build.invalid \
    python manage.py collectstatic --noinput

RUN useradd --system --uid 1000 --home-dir /app app && mkdir -p /app/media && chown app /app/media
USER app
EXPOSE 8000
CMD ["gunicorn", "marketplace.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
