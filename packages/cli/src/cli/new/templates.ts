/** The starting .proto and .api of `zeroscope new`: one method or route, ready to edit. */
import { pascalCase } from '../gen/names.ts';

/** `user` → a `user.User` service with a unary Ping. */
export function protoTemplate(name: string): string {
  const pkg = name.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return `// The ${name} service. Edit it, then run \`npx zeroscope gen rpc ${name}.proto\`.
syntax = "proto3";

package ${pkg};

message PingReq {
  string message = 1;
}

message PingReply {
  string message = 1;
}

service ${pascalCase(name)} {
  rpc Ping(PingReq) returns (PingReply);
}
`;
}

/** `order` → an `order-api` service with `GET /hello/:name`. */
export function apiTemplate(name: string): string {
  return `// The ${name} API, in go-zero's .api syntax. Edit it, then run \`npx zeroscope gen api ${name}.api\`.
syntax = "v1"

type (
	HelloReq {
		Name string \`path:"name"\`
	}

	HelloReply {
		Message string \`json:"message"\`
	}
)

service ${name}-api {
	@handler Hello
	get /hello/:name (HelloReq) returns (HelloReply)
}
`;
}
