"""A call to the action server whose connection breaks before any answer is tried
once more on a new connection; Rasa's own request gives up at once."""

from __future__ import annotations

import asyncio
import json
from typing import Dict, List, Tuple

import aiohttp
import pytest
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from bids_partner.patches import action_call_retry

ANSWER = {"events": [], "responses": [{"text": "hello"}]}


async def serve_dropping_first(connections: List[str]) -> asyncio.AbstractServer:
    """Closes the first connection as soon as the request starts; answers later
    ones with ANSWER."""

    async def handle(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        await reader.readline()
        if not connections:
            connections.append("dropped")
            writer.transport.abort()
            return
        connections.append("answered")
        while (await reader.readline()) not in (b"\r\n", b""):
            pass
        body = json.dumps(ANSWER).encode()
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )
        await writer.drain()
        writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", 0)


async def call(request: object, connections: List[str]) -> object:
    server = await serve_dropping_first(connections)
    port = server.sockets[0].getsockname()[1]
    endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
    try:
        return await request(endpoint, json={"next_action": "action_x"}, method="post")
    finally:
        server.close()
        await server.wait_closed()


def test_rasas_request_fails_when_the_connection_breaks() -> None:
    connections: List[str] = []
    with pytest.raises(aiohttp.ClientConnectionError):
        asyncio.run(call(action_call_retry.ORIGINAL, connections))
    assert connections == ["dropped"]


def test_the_patched_request_retries_once_on_a_new_connection() -> None:
    connections: List[str] = []
    answer = asyncio.run(call(action_call_retry.request, connections))
    assert answer == ANSWER
    assert connections == ["dropped", "answered"]


def test_an_error_answer_is_not_retried() -> None:
    async def scenario() -> int:
        calls = 0

        async def handle(
            reader: asyncio.StreamReader, writer: asyncio.StreamWriter
        ) -> None:
            nonlocal calls
            calls += 1
            while (await reader.readline()) not in (b"\r\n", b""):
                pass
            writer.write(
                b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n"
                b"Connection: close\r\n\r\n"
            )
            await writer.drain()
            writer.close()

        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        try:
            with pytest.raises(ClientResponseError):
                await action_call_retry.request(
                    EndpointConfig(f"http://127.0.0.1:{port}/webhook"), json={}
                )
        finally:
            server.close()
            await server.wait_closed()
        return calls

    assert asyncio.run(scenario()) == 1


def test_a_request_made_as_json_already_is_sent_as_it_is() -> None:
    from bids_partner.patches.action_payload import EncodedRequest

    async def scenario() -> Tuple[bytes, Dict[str, str]]:
        received: List[bytes] = []
        headers: Dict[str, str] = {}

        async def handle(
            reader: asyncio.StreamReader, writer: asyncio.StreamWriter
        ) -> None:
            await reader.readline()
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode().partition(":")
                headers[name.strip().lower()] = value.strip()
            received.append(await reader.readexactly(int(headers["content-length"])))
            body = json.dumps(ANSWER).encode()
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                + body
            )
            await writer.drain()
            writer.close()

        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        request = EncodedRequest(next_action="action_x")
        # Not what json.dumps of the dict gives: so the test sees which was sent.
        request.encoded = b'{"next_action":"action_x","tracker":{"events":[]}}'
        try:
            answer = await action_call_retry.request(
                EndpointConfig(f"http://127.0.0.1:{port}/webhook"), json=request
            )
        finally:
            server.close()
            await server.wait_closed()
        assert answer == ANSWER
        return received[0], headers

    body, headers = asyncio.run(scenario())
    assert body == b'{"next_action":"action_x","tracker":{"events":[]}}'
    assert headers["content-type"] == "application/json"
