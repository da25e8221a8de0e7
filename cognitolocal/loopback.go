package cognitolocal

import (
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"time"
)

// ServeLoopback serves s on a free loopback port until stop is called, and
// returns its URL. net/http's own messages are discarded: in the wizard and
// the admin commands they would land on the person's screen.
func (s *Server) ServeLoopback() (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(io.Discard, "", 0)}
	go srv.Serve(ln) // Serve returns when shut down below; its error says only that.
	stop = func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}
	return "http://" + ln.Addr().String(), stop, nil
}
