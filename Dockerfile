# The image behind docker-compose.yml: Node 20 with the Python and Java tools the setup needs.
FROM node:20-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends python3-pip maven default-jre-headless && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN npm ci
EXPOSE 3000
CMD ["npm", "start"]
