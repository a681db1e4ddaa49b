# The platform's image: app server, worker and scheduler alike (deploy/launch
# ROLE), as deploy/compose.yaml runs them. Not built on the machine where it
# was written (no Docker there): reviewed against the systemd path, which the
# production drill runs.
FROM python:3.11-slim-bookworm

# WeasyPrint's libraries (PDF notices and reports) and the CJK font they need.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      fonts-noto-cjk fontconfig \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
      postgresql-client \
 && rm -rf /var/lib/apt/lists/*

RUN groupadd --system qingqian \
 && useradd --system --gid qingqian --home-dir /var/lib/qingqian --shell /usr/sbin/nologin qingqian

WORKDIR /opt/qingqian/app
COPY . .
# The virtual environment where deploy/launch looks for it: the checkout's .venv.
RUN python -m venv .venv \
 && .venv/bin/pip install --no-cache-dir . \
 && rm -rf build

ENV QINGQIAN_VAR_DIR=/var/lib/qingqian \
    QINGQIAN_WEB_BIND=0.0.0.0:8000 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
# Static files in the image; compose copies them into the volume nginx reads.
RUN mkdir -p /var/lib/qingqian/media \
 && .venv/bin/qingqian manage collectstatic --noinput \
 && chown -R qingqian:qingqian /var/lib/qingqian

USER qingqian
EXPOSE 8000
ENTRYPOINT ["/opt/qingqian/app/deploy/launch"]
CMD ["app"]
