FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -e . \
 && DEBUG=1 python manage.py compilemessages --ignore=.venv -v 0 \
 && DEBUG=1 python manage.py collectstatic --noinput -v 0
RUN useradd --system --uid 1000 crisis && mkdir -p /var/lib/crisis-ops && chown crisis /var/lib/crisis-ops
USER crisis
EXPOSE 8000
