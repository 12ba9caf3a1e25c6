# One image for web (gunicorn), the Celery worker and beat; docker-compose.yml builds it once for all three.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# The dependencies listed in pyproject.toml, in a layer of their own so a code change does not reinstall
# them. The project itself runs from /app, so it is not installed a second time into site-packages.
COPY pyproject.toml ./
RUN python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep=chr(10))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
# Static files under the production settings: hashed names, a manifest and compressed copies (whitenoise).
# Production refuses to start without a secret key and allowed hosts; these two are build-time placeholders
# that live only in this RUN, never in the image's environment.
RUN DJANGO_DEBUG=0 \
    DJANGO_SECRET_KEY=build-time-only-placeholder-for-collectstatic-never-used-to-sign \
    DJANGO_ALLOWED_HOSTS=build.invalid \
    python manage.py collectstatic --noinput

RUN useradd --system --uid 1000 --home-dir /app app && mkdir -p /app/media && chown app /app/media
USER app
EXPOSE 8000
CMD ["gunicorn", "marketplace.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
